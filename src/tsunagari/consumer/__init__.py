"""Consumer protection (direction 6-2): scam and consumer-damage alerts, the watch network, visits to people at risk."""
