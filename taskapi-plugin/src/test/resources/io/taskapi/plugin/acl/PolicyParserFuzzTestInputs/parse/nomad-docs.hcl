namespace "default" {
  policy = "read"
}
namespace "other" {
  policy = "write"
}
namespace "secret" {
  capabilities = ["deny", "read-logs"]
}
namespace "apps" {
  variables {
    path "jobs/write-does-not-imply-read-or-delete" {
      capabilities = ["write"]
    }
    path "project/read-implies-list" {
      capabilities = ["read"]
    }
  }
}
namespace "autoscaler" {
  policy = "scale"
}
host_volume "production-tls-*" {
  capabilities = ["mount-readonly"]
}
node_pool "prod" {
  capabilities = ["read"]
}
agent {
  policy = "read"
}
node {
  policy = "write"
}
operator {
  policy = "deny"
}
sentinel {
  policy = "read"
  capabilities = ["sentinel-delete"]
}
quota {
  policy = "read"
}
plugin {
  policy = "list"
}
