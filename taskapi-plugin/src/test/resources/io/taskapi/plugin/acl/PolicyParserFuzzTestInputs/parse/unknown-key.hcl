namespace "default" {
  policy = "read"
  bogus = 1
}
