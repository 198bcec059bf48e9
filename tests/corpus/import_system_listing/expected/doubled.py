import listing_helper
doubled = listing_helper.double([1, 2])
