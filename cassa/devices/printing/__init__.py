"""Receipt printing: ESC/POS bytes, backends, layouts, decoder, print queue and history."""
