"""How users reach the service: the command line, the HTTP API and the web pages. Each calls the layers
below and none calls another, except the command line, which starts the HTTP service."""
