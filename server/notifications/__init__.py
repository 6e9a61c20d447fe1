"""notifications area: the port every outgoing message goes through."""
