# The Task API example from Nomad's documentation (api-docs/task-api), unchanged except for the driver:
# no Docker engine runs here, so the same curl runs on the host with the exec driver.
# taskapi-example.docker.hcl is the original, for an agent that has a Docker engine.
job "taskapi-example" {
  type = "batch"

  group "taskapi-example" {

    task "taskapi" {
      driver = "exec"

      config {
        command = "curl"
        args = [
          "--unix-socket", "${NOMAD_SECRETS_DIR}/api.sock",
          "-H", "Authorization: Bearer ${NOMAD_TOKEN}",
          "--data-binary", "{\"Meta\": {\"example\": \"Hello World!\"}}",
          "--fail-with-body",
          "--verbose",
          "localhost/v1/client/metadata",
        ]
      }

      identity {
        env = true
      }
    }
  }
}
