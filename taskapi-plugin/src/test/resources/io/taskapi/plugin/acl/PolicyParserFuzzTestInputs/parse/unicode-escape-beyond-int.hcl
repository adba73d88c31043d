namespace "\UFFFFFFFF" {
  policy = "read"
}
