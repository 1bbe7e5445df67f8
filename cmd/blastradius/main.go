// Command blastradius tells which organisations a cyber compromise reaches,
// by what path, and which control would contain it. Run "blastradius help".
package main

import (
	"os"
	"os/signal"
	"syscall"
)

func main() {
	// A closed reader ("| head") makes writes fail with EPIPE, which run
	// handles, instead of killing the process with SIGPIPE.
	signal.Ignore(syscall.SIGPIPE)
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
