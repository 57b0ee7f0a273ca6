// Command lifeline runs a command so that nothing it starts outlives the process that started
// lifeline. The Pulumi CLI starts plugins and language hosts in process groups of their own and
// none of them watches its parent, so a test or benchmark killed mid-run would leave them running.
//
//	lifeline <command> [args...]
//
// When lifeline's parent dies (however: SIGKILL included), or the command exits, every process
// below lifeline is killed. SIGINT, SIGTERM and SIGHUP from a living parent go to the command
// alone, so that the CLI's own handling of Ctrl-C can be tested. Linux only, as the tests that
// use it (prctl, /proc).
package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: lifeline <command> [args...]")
		os.Exit(2)
	}
	parent := os.Getppid()
	// Orphans below us are handed to us rather than to init, so that we can still end them.
	must(unix.Prctl(unix.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0))
	// Our parent's death reaches us as SIGTERM; a parent that died before this line shows as a changed ppid.
	must(unix.Prctl(unix.PR_SET_PDEATHSIG, uintptr(syscall.SIGTERM), 0, 0, 0))
	if os.Getppid() != parent {
		os.Exit(1)
	}

	signals := make(chan os.Signal, 8)
	signal.Notify(signals, syscall.SIGINT, syscall.SIGTERM, syscall.SIGHUP)
	cmd := exec.Command(os.Args[1], os.Args[2:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "lifeline: cannot start %s: %v\n", os.Args[1], err)
		os.Exit(127)
	}
	exited := make(chan int, 1)
	go func() {
		err := cmd.Wait()
		var exitErr *exec.ExitError
		if err != nil && !errors.As(err, &exitErr) {
			exited <- 1
			return
		}
		exited <- cmd.ProcessState.ExitCode()
	}()

	for {
		select {
		case sig := <-signals:
			if os.Getppid() == parent {
				_ = cmd.Process.Signal(sig)
				continue
			}
			killDescendants()
			os.Exit(1)
		case code := <-exited:
			killDescendants()
			if code < 0 {
				code = 1
			}
			os.Exit(code)
		}
	}
}

// killDescendants kills every process below this one, until none is left, reaping orphans handed to us.
func killDescendants() {
	self := os.Getpid()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); {
		below := descendants(self)
		for _, pid := range below {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		for {
			pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
		if len(below) == 0 {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// descendants lists the live processes whose chain of parents reaches root, read from /proc.
func descendants(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	parentOf := map[int]int{}
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile("/proc/" + entry.Name() + "/stat")
		if err != nil {
			continue
		}
		// After the command name, which may hold spaces and ends at the last ")": state, ppid, ...
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) < 2 || fields[0] == "Z" {
			continue
		}
		if ppid, err := strconv.Atoi(fields[1]); err == nil {
			parentOf[pid] = ppid
		}
	}
	var found []int
	for pid := range parentOf {
		for p := parentOf[pid]; p > 1; p = parentOf[p] {
			if p == root {
				found = append(found, pid)
				break
			}
		}
	}
	return found
}

func must(err error) {
	if err != nil {
		fmt.Fprintf(os.Stderr, "lifeline: %v\n", err)
		os.Exit(1)
	}
}
