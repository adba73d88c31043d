namespace "*" {
  policy = "read"
  variables {
    path "nomad/jobs/*" { capabilities = ["read", "list"] }
  }
}
