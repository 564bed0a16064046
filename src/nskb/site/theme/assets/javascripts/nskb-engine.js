/* placeholder, replaced by the port */
