job "web" {
  type        = "service"
  namespace   = "prod"
  region      = "eu"
  datacenters = ["dc1", "dc2"]
  group "front" {
    count = 3
    task "server" {
      driver = "exec"
      user   = "nobody"
      config {
        command = "/bin/server"
        port    = 8080
        ratio   = 0.5
        debug   = true
        labels  = { team = "a", "x.y" = "b" }
        mount {
          source = "/a"
        }
        mount {
          source = "/b"
        }
      }
      env {
        GREETING = "hello ${NOMAD_TASK_NAME}"
        PORT     = 8080
      }
      identity {
        env  = false
        file = true
      }
    }
    task "sidecar" {
      driver = "java"
    }
  }
}
