# comment
// another
/* block */ namespace "default" {
  policy = <<EOT
read
EOT
}
