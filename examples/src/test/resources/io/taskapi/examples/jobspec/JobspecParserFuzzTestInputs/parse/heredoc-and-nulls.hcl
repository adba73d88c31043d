job "b" {
  type = "batch"
  group "g" {
    task "t" {
      driver = "exec"
      config {
        script = <<-EOF
          echo ${env["HOME"]}
          EOF
        none = null
        list = [1, [2, {a = "b"}], -3.5e2]
      }
    }
  }
}
