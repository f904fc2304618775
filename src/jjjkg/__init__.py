"""jjjkg: a knowledge graph of Beijing–Tianjin–Hebei (京津冀) coordinated development."""
