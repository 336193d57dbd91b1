'id'
