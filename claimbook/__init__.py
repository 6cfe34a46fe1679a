"""claimbook: trace every number of a news feature from its sentence to the page."""
__version__ = "0.1.0"
