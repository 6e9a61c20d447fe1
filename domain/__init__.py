"""Pure Python shared by the app and the server: no I/O, no framework imports."""
