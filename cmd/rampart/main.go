// Command rampart is the single Rampart binary: server, migrations, demo
// data, audit verification and the API client.
package main

import (
	"os"

	"github.com/rampart-itsm/rampart/internal/cli"
)

func main() { os.Exit(cli.Execute()) }
