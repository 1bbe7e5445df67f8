//go:build unix

package main

import (
	"bufio"
	"io"
	"net/http"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeCommand starts "blastradius serve" as a user would, asks it for
// its status with its own Host and another, and stops it with Ctrl-C.
func TestServeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("sends the test process an interrupt")
	}
	chdirRoot(t)
	r, w := io.Pipe()
	var stderr strings.Builder
	done := make(chan int, 1)
	go func() {
		done <- run([]string{"serve", "testdata/invalid/duplicate-id.yaml", "--open=false"}, nil, w, &stderr)
		w.Close()
	}()
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil {
		t.Fatalf("no address printed: %v (stderr %q)", err, stderr.String())
	}
	go io.Copy(io.Discard, r)
	m := regexp.MustCompile(`^Serving testdata/invalid/duplicate-id.yaml at (http://127\.0\.0\.1:\d+/) \(Ctrl-C to stop\)\n$`).FindStringSubmatch(line)
	if m == nil {
		t.Fatalf("printed %q", line)
	}
	if !strings.Contains(stderr.String(), "testdata/invalid/duplicate-id.yaml:8:5: duplicate id") {
		t.Errorf("the load error is not reported: %q", stderr.String())
	}
	resp, err := http.Get(m[1] + "api/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `duplicate-id.yaml:8:5: duplicate id`) {
		t.Errorf("status %d %s", resp.StatusCode, body)
	}
	req, _ := http.NewRequest("GET", m[1]+"api/status", nil)
	req.Host = "rebound.example:80"
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a request for another Host: %v %v", resp, err)
	}
	syscall.Kill(syscall.Getpid(), syscall.SIGINT)
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("exit %d after Ctrl-C", code)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop on Ctrl-C")
	}
}
