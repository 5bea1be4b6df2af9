"""The models: loading them (hub or folder, offline first), the encoder adapter a space embeds
with, the text towers, and the one thread torch runs on."""
