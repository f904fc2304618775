from jjjkg.cli import cli

cli()
