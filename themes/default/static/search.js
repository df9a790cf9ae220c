// Search-as-you-type: placeholder until the search issue lands.
