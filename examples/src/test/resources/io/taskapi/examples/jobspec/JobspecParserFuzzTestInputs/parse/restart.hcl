job "r" {
  type = "batch"
  group "g" {
    restart {
      attempts = 2
      interval = "1h30m"
      delay    = "1.5s"
      mode     = "delay"
    }
    task "t" {
      driver = "exec"
      restart {
        attempts = 0
        mode     = "fail"
        delay    = "250ms"
      }
    }
  }
}
