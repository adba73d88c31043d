# The web UI as a task (docs/operators.md#the-web-ui): `taskapi ui-proxy` serves the UI over HTTPS and forwards its
# API calls to this task's own Task API socket (NOMAD_UNIX_ADDR), with the token of the user logged in to the
# browser. The task needs no policy: its workload identity is used only for the proxy's health check (/ui/health).
#
#   PATH="$PWD:$PATH" ./taskapi agent -dev -acl-enabled     # the exec driver finds ./taskapi on the agent's PATH
#   ./taskapi job run examples/jobs/ui-proxy.hcl
#   open https://127.0.0.1:8443/                            # -dev: a self-signed certificate, the browser warns
#
# With a certificate of your own, replace -dev by -tls-cert-file and -tls-key-file (PEM files the task can read).
job "ui-proxy" {
  type = "service"

  group "ui" {
    task "proxy" {
      driver = "exec"

      config {
        command = "taskapi"
        args    = ["ui-proxy", "-dev", "-listen", "127.0.0.1:8443"]
      }

      identity {
        env = true
      }
    }
  }
}
