"""Payment terminals: the interface and line protocol, a TCP client and a simulator."""
