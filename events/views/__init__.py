"""Pages of the events app: participants' (``join``) and staff's, one module a page group."""
