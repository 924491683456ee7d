"""Settings package: ``base`` holds everything, the others adjust it per place it runs."""
