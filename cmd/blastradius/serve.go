package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"runtime"
	"time"

	"github.com/blastradius/blastradius/explore"
)

func serveCmd() *command {
	return &command{
		name:    "serve",
		summary: "explore a model in the browser: overview, blast radius, paths, chokepoints, what-if",
		usage: `Usage: blastradius serve MODEL [--addr 127.0.0.1:0] [--open=false]

Serves a page for exploring MODEL on this machine only, and prints its
address: an overview of every ICB, the rank and the file's scenarios; search
for any node or scenario; its blast radius grouped by effect, ICB and kind,
the path that explains each affected node, and its chokepoints; a what-if
(any change a scenario's assume: states: a control added or taken away, a
dependency removed or added, an alternative added) recomputed beside the
model as written, copyable as an assume: block; and a drawing of the radius
as "render --focus" draws it. The view is in the page's address, so it can
be shared and reloaded. The model is read again when the file changes; if
it no longer loads, the page shows why, with lines.

The server listens on a loopback address only and answers only requests
for that address; everything the page needs is built in. Stop it with
Ctrl-C. Drawings need the blastradius-draw program (see "render --help").

Flags:
  --addr HOST:PORT   where to listen; a loopback address (default
                     127.0.0.1:0, a free port)
  --open             open the page in the default browser (default true)

Exit codes: 0 stopped by Ctrl-C; 2 the address is not a loopback one or is
in use, or a flag is wrong.

Examples:
  blastradius serve examples/synnovis-2024.yaml
  blastradius serve national.yaml --addr 127.0.0.1:8080 --open=false
`,
		run: runServe,
	}
}

func runServe(e *env, args []string) int {
	f := newFlags(serveCmd(), true, false)
	addr := f.String("addr", "127.0.0.1:0", "")
	open := f.Bool("open", true, "")
	path, code, ok := f.parseModel(e, args)
	if !ok {
		return code
	}
	if path == "-" {
		return f.usageError(e, "name a model file, which serve watches for changes, instead of \"-\"")
	}
	if !explore.IsLoopback(*addr) {
		return f.usageError(e, "--addr %q: listen on a loopback address such as 127.0.0.1:8080, so that only this machine can reach the page", *addr)
	}
	srv := explore.NewServer(path, f.limits, drawer())
	// A model that does not load is served anyway: the page shows why, and
	// the fixed file is read again.
	for _, msg := range srv.Errors() {
		fmt.Fprintln(e.stderr, msg)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	port := ln.Addr().(*net.TCPAddr).Port
	url := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(e.stdout, "Serving %s at %s (Ctrl-C to stop)\n", path, url)
	go srv.Watch(ctx, time.Second)
	hs := &http.Server{Handler: srv.Handler(port), ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout: 30 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 256 << 10}
	go func() {
		<-ctx.Done()
		shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(shut)
	}()
	if *open {
		openBrowser(url)
	}
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
		return exitError
	}
	return exitOK
}

// drawer lays drawings out with blastradius-draw as render does, or is nil
// if the program is missing.
func drawer() explore.Drawer {
	if _, err := drawProgram(); err != nil {
		return nil
	}
	return func(dot []byte) ([]byte, error) { return draw(dot, "svg", "dot", 30*time.Second) }
}

// openBrowser asks the desktop to open url; failing is not an error, the
// address is printed.
func openBrowser(url string) {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if cmd.Start() == nil {
		go cmd.Wait()
	}
}
