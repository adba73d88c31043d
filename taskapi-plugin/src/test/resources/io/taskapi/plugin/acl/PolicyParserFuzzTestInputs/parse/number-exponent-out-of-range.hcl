namespace "a" {
  policy = 1e99999999999
}
