package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/blastradius/blastradius/graph"
	"github.com/blastradius/blastradius/internal/english"
	"github.com/blastradius/blastradius/internal/textsafe"
	"github.com/blastradius/blastradius/model"
)

// Exit codes, as every command's help and the README document them.
const (
	exitOK      = 0 // all good
	exitProblem = 1 // the job ran and found a problem
	exitError   = 2 // the job could not run
)

var version = "1.0.0-dev"

// env is what a command may touch: its streams. Commands get no globals.
// stdout and stderr escape every character that would change how a
// terminal or a CI log shows text (textsafe), so that no name from a model
// can rewrite what a reviewer reads. raw and rawErr are the streams as they
// are: raw for pictures, rawErr for the progress line, whose carriage
// returns are the tool's own.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	raw, rawErr    io.Writer
}

type command struct {
	name    string
	summary string
	usage   string // the whole --help text, examples included
	run     func(e *env, args []string) int
}

func commands() []*command {
	return []*command{
		validateCmd(), reachCmd(), rankCmd(), renderCmd(), checkCmd(), diffCmd(), chokepointsCmd(), pathsCmd(), generateCmd(),
		simulateCmd(), recommendCmd(), timelineCmd(), serveCmd(), reportCmd(), schemaCmd(), initCmd(), fmtCmd(), importCmd(),
	}
}

const mainUsage = `blastradius tells which organisations a cyber compromise reaches, by what
path, and which control would contain it.

Usage:
  blastradius <command> [arguments]

Commands:
%s
Run "blastradius <command> --help" for a command's flags and examples.
A model is a YAML file (see docs/model.md); "-" reads it from standard input.
Every --format json output is documented in docs/json.md, with a JSON Schema.

Exit codes: 0 all good; 1 the job ran and found a problem; 2 the job could not run.

Example:
  blastradius reach examples/synnovis-2024.yaml --compromise synnovis
`

func usageText() string {
	var b strings.Builder
	for _, c := range commands() {
		fmt.Fprintf(&b, "  %-12s %s\n", c.name, c.summary)
	}
	return fmt.Sprintf(mainUsage, b.String())
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	raw, rawErr := stdout, stderr
	out, errOut := textsafe.NewWriter(stdout), textsafe.NewWriter(stderr)
	defer out.Flush()
	defer errOut.Flush()
	stdout, stderr = out, errOut
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, raw: raw, rawErr: rawErr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText())
		return exitError
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 {
			if c := lookup(rest[0]); c != nil {
				fmt.Fprint(stdout, c.usage)
				return exitOK
			}
			return unknownCommand(e, rest[0])
		}
		fmt.Fprint(stdout, usageText())
		return exitOK
	case "version", "-version", "--version":
		fmt.Fprintf(stdout, "blastradius %s\n", version)
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		return unknownCommand(e, name)
	}
	return c.run(e, rest)
}

func lookup(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

func unknownCommand(e *env, name string) int {
	var names []string
	for _, c := range commands() {
		names = append(names, c.name)
	}
	hint := ""
	if s := model.Suggest(name, names); s != "" {
		hint = fmt.Sprintf(" (did you mean %q?)", s)
	}
	fmt.Fprintf(e.stderr, "blastradius: unknown command %q%s\nRun \"blastradius help\" for the list of commands.\n", name, hint)
	return exitError
}

// flags is a command's flag set and the state every command shares.
type flags struct {
	*flag.FlagSet
	cmd    *command
	limits model.Limits
	out    string // -o: write the result to this file, atomically
	words  []wordFlag
}

// wordFlag is a flag that takes one of a few words, such as --format.
type wordFlag struct {
	name    string
	val     *string
	allowed []string
}

// word defines a flag that takes one of the allowed words; parse checks it.
func (f *flags) word(name, def string, allowed ...string) *string {
	v := f.String(name, def, "")
	f.words = append(f.words, wordFlag{name, v, allowed})
	return v
}

// mode defines --mode.
func (f *flags) mode() *string {
	return f.word("mode", string(model.Ransomware), string(model.Ransomware), string(model.Exfiltration))
}

// parseModel parses the flags of a command that reads one model, and
// returns its path.
func (f *flags) parseModel(e *env, args []string) (path string, code int, ok bool) {
	pos, code, ok := f.parse(e, args)
	if !ok {
		return "", code, false
	}
	if len(pos) != 1 {
		return "", f.usageError(e, "name one model file (got %d)", len(pos)), false
	}
	return pos[0], 0, true
}

func newFlags(c *command, withLimits, withOutput bool) *flags {
	f := &flags{FlagSet: flag.NewFlagSet(c.name, flag.ContinueOnError), cmd: c}
	f.SetOutput(io.Discard)
	if withLimits {
		f.Int64Var(&f.limits.MaxBytes, "max-bytes", model.DefaultLimits.MaxBytes, "refuse a model file larger than this")
		f.IntVar(&f.limits.MaxNodes, "max-model-nodes", model.DefaultLimits.MaxNodes, "refuse a model with more organisations and services")
		f.IntVar(&f.limits.MaxDependencies, "max-dependencies", model.DefaultLimits.MaxDependencies, "refuse a model with more dependencies")
		f.IntVar(&f.limits.MaxDepth, "max-depth", model.DefaultLimits.MaxDepth, "refuse YAML nested deeper")
		f.IntVar(&f.limits.MaxIDLength, "max-id-length", model.DefaultLimits.MaxIDLength, "refuse longer ids")
		f.IntVar(&f.limits.MaxStringLength, "max-string-length", model.DefaultLimits.MaxStringLength, "refuse longer names and notes")
		f.IntVar(&f.limits.MaxAliasNodes, "max-alias-nodes", model.DefaultLimits.MaxAliasNodes, "refuse YAML whose aliases expand by more nodes")
		f.IntVar(&f.limits.MaxFiles, "max-files", model.DefaultLimits.MaxFiles, "refuse a model of more files (the root and those it includes)")
	}
	if withOutput {
		f.StringVar(&f.out, "o", "", "write the result to `FILE` (atomically) instead of standard output")
	}
	return f
}

// parse parses flags placed before, between and after positional arguments,
// as users type them ("reach model.yaml --compromise x"). "--" ends flags.
// It reports --help and usage errors itself; ok false means return code.
func (f *flags) parse(e *env, args []string) (pos []string, code int, ok bool) {
	for {
		err := f.Parse(args)
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(e.stdout, f.cmd.usage)
			return nil, exitOK, false
		}
		if err != nil {
			return nil, f.usageError(e, "%s", f.explain(err)), false
		}
		rest := f.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return f.checkWords(e, append(pos, rest...))
		}
		if len(rest) == 0 {
			return f.checkWords(e, pos)
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// explain rewords the flag package's errors and suggests a near flag.
func (f *flags) explain(err error) string {
	msg := err.Error()
	name, ok := strings.CutPrefix(msg, "flag provided but not defined: -")
	if !ok {
		return msg
	}
	var names []string
	f.VisitAll(func(fl *flag.Flag) { names = append(names, fl.Name) })
	msg = fmt.Sprintf("unknown flag --%s", name)
	if s := model.Suggest(name, names); s != "" {
		msg += fmt.Sprintf(" (did you mean --%s?)", s)
	}
	return msg
}

func (f *flags) usageError(e *env, format string, args ...any) int {
	fmt.Fprintf(e.stderr, "blastradius %s: %s\n", f.cmd.name, fmt.Sprintf(format, args...))
	fmt.Fprintf(e.stderr, "Run \"blastradius %s --help\" for usage.\n", f.cmd.name)
	return exitError
}

// checkWords checks every word flag against its allowed values.
func (f *flags) checkWords(e *env, pos []string) ([]string, int, bool) {
	for _, w := range f.words {
		if !slices.Contains(w.allowed, *w.val) {
			return nil, f.usageError(e, "--%s %q: use one of %s", w.name, *w.val, strings.Join(w.allowed, ", ")), false
		}
	}
	return pos, 0, true
}

// list splits comma-separated values, dropping blanks.
func list(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// listFlag collects values given as --flag a,b or --flag a --flag b.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, list(s)...); return nil }

// readSource reads a model path, or standard input for "-".
func readSource(e *env, path string, lim model.Limits) (name string, src []byte, err error) {
	if path == "-" {
		src, err = readAllLimited(e.stdin, lim)
		return "<stdin>", src, err
	}
	src, err = model.ReadFile(path, lim)
	return path, src, err
}

func readAllLimited(r io.Reader, lim model.Limits) ([]byte, error) {
	max := lim.MaxBytes
	if max <= 0 {
		max = model.DefaultLimits.MaxBytes
	}
	src, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(src)) > max {
		return nil, model.ErrorList{{File: "<stdin>", Msg: fmt.Sprintf("input is larger than the limit of %s bytes", english.Commas(max)), Hint: "raise the limit with --max-bytes"}}
	}
	return src, nil
}

// parseSource reads and parses the model at path, with the files it
// includes, or a model on standard input for "-" (which cannot include).
// name is how positions name the root file.
func parseSource(e *env, path string, lim model.Limits) (name string, m *model.Model, err error) {
	if path == "-" {
		name, src, err := readSource(e, path, lim)
		if err != nil {
			return name, nil, err
		}
		m, err = model.ParseWith(name, src, lim)
		return name, m, err
	}
	defer reading(e, path)()
	m, err = model.LoadWith(path, lim)
	return path, m, err
}

// reading says, on a terminal, which file is being read once reading it
// has taken two seconds (a model ten times England's), and clears the line
// when it is read. The returned function ends it.
func reading(e *env, path string) func() {
	p := newProgress(e, "")
	if !p.on {
		return func() {}
	}
	t := time.AfterFunc(2*time.Second, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.shown = true
		fmt.Fprintf(p.w, "\rreading %s and the files it includes…", path)
	})
	return func() {
		t.Stop()
		p.done()
	}
}

// load reads and parses a model, reporting problems on standard error.
// Warnings are reported too. ok false means the command should exit 2.
func load(e *env, path string, lim model.Limits) (*model.Model, bool) {
	_, m, err := parseSource(e, path, lim)
	if err == nil {
		printWarnings(e.stderr, path, m.Warnings)
		return m, true
	}
	reportLoadError(e, path, err)
	return nil, false
}

func reportLoadError(e *env, path string, err error) {
	var list model.ErrorList
	if errors.As(err, &list) {
		printList(e.stderr, list)
		return
	}
	fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(path, err))
}

func describeIOError(path string, err error) string {
	var pe *os.PathError
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Sprintf("%s: no such file", path)
	case errors.Is(err, os.ErrPermission):
		return fmt.Sprintf("%s: permission denied", path)
	case errors.As(err, &pe):
		return fmt.Sprintf("%s: %v", path, pe.Err)
	}
	return fmt.Sprintf("%s: %v", path, err)
}

// printWarnings shows a model's warnings, the first few of them: commands
// other than validate are not about warnings.
func printWarnings(w io.Writer, path string, list model.ErrorList) {
	const most = 10
	if len(list) > most {
		printList(w, list[:most])
		fmt.Fprintf(w, "blastradius: and %s more warnings (run \"blastradius validate %s\" for all)\n", english.Commas(len(list)-most), path)
		return
	}
	printList(w, list)
}

func printList(w io.Writer, list model.ErrorList) {
	for _, e := range flagHints(list) {
		fmt.Fprintln(w, e.Error())
	}
}

// limitFlags names the flag that sets each of model.Limits.
var limitFlags = map[string]string{
	"MaxBytes": "max-bytes", "MaxNodes": "max-model-nodes", "MaxDependencies": "max-dependencies",
	"MaxDepth": "max-depth", "MaxIDLength": "max-id-length", "MaxStringLength": "max-string-length",
	"MaxAliasNodes": "max-alias-nodes", "MaxFiles": "max-files",
}

// flagHints is the list with the flag that raises each limit in its hint:
// the model knows no command line.
func flagHints(list model.ErrorList) model.ErrorList {
	out := make(model.ErrorList, len(list))
	for i, e := range list {
		c := *e
		c.Hint = flagHint(e)
		out[i] = &c
	}
	return out
}

// flagHint is the hint of a model error, with the flag that raises the
// limit it went past: the model knows no command line.
func flagHint(e *model.Error) string {
	if name, ok := limitFlags[e.Limit]; ok && strings.HasSuffix(e.Hint, "raise the limit") {
		return e.Hint + " with --" + name
	}
	return e.Hint
}

// build loads a model and builds its graph.
func build(e *env, path string, lim model.Limits) (*model.Model, *graph.Graph, bool) {
	m, ok := load(e, path, lim)
	if !ok {
		return nil, nil, false
	}
	g, err := graph.Build(m)
	if err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s: %v\n", path, err)
		return nil, nil, false
	}
	return m, g, true
}

// emit writes a finished result to standard output or, with -o, to a file
// that appears whole or not at all. A reader that went away (a broken
// pipe) is not an error. It returns the exit code to use. Text is written
// escaped, as everything on standard output is (textsafe).
func emit(e *env, out string, result []byte, code int) int {
	return emitAs(e, out, []byte(textsafe.Escape(string(result))), code)
}

// emitPicture is emit for a picture: its bytes are written as they are.
func emitPicture(e *env, out string, result []byte, code int) int {
	return emitAs(e, out, result, code)
}

func emitAs(e *env, out string, result []byte, code int) int {
	if out == "" || out == "-" {
		w := e.raw
		if w == nil {
			w = e.stdout
		}
		if _, err := w.Write(result); err != nil {
			if errors.Is(err, syscall.EPIPE) {
				return code
			}
			fmt.Fprintf(e.stderr, "blastradius: writing standard output: %v\n", err)
			return exitError
		}
		return code
	}
	if err := writeFileAtomic(out, result); err != nil {
		fmt.Fprintf(e.stderr, "blastradius: %s\n", describeIOError(out, err))
		return exitError
	}
	return code
}

// emitResult emits a result as --format says: v as JSON, or else what text
// writes (text, or CSV for the commands that offer it).
func emitResult(e *env, f *flags, format string, v any, text func(io.Writer)) int {
	var out bytes.Buffer
	if format == "json" {
		if err := writeJSON(&out, v); err != nil {
			fmt.Fprintf(e.stderr, "blastradius: %v\n", err)
			return exitError
		}
	} else {
		text(&out)
	}
	return emit(e, f.out, out.Bytes(), exitOK)
}

// writeFileAtomic writes data to a temporary file beside path and renames it
// into place, so that readers never see a half-written file. The file keeps
// its permissions (0644 for a new one); a symbolic link is followed, and
// the file it leads to replaced. What is not a regular file (a FIFO, a
// device, /dev/stdout) is written directly: renaming would replace it and
// lose the output. The temporary file is named .NAME.tmp-*: one left an
// hour or more by a run that was killed is removed by the next.
func writeFileAtomic(path string, data []byte) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		if !st.Mode().IsRegular() {
			return writeDirect(path, data)
		}
		mode = st.Mode().Perm()
		if real, err := filepath.EvalSymlinks(path); err == nil {
			path = real
		}
	}
	dir := filepath.Dir(path)
	removeStaleTemps(dir, filepath.Base(path))
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, werr := tmp.Write(data)
	if werr == nil {
		werr = tmp.Chmod(mode)
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(name, path)
	}
	if werr != nil {
		os.Remove(name)
		var pe *os.PathError
		if errors.As(werr, &pe) {
			return pe.Err
		}
		return werr
	}
	return nil
}

// writeDirect writes data to a file that is not a regular one.
func writeDirect(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	var pe *os.PathError
	if errors.As(werr, &pe) {
		return pe.Err
	}
	return werr
}

// removeStaleTemps removes the temporary files of base in dir that a run
// killed mid-write left an hour or more ago.
func removeStaleTemps(dir, base string) {
	old, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".tmp-*"))
	for _, name := range old {
		if st, err := os.Lstat(name); err == nil && st.Mode().IsRegular() && time.Since(st.ModTime()) > time.Hour {
			os.Remove(name)
		}
	}
}

// globEscape makes s match only itself in filepath.Glob.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// writeJSON encodes v with two-space indentation and no HTML escaping.
func writeJSON(b *bytes.Buffer, v any) error {
	var raw bytes.Buffer
	if err := newJSONEncoder(&raw).Encode(v); err != nil {
		return err
	}
	b.Write(textsafe.JSON(roundFloats(raw.Bytes())))
	return nil
}

// roundFloats rewrites every number in JSON text that has a fraction: to
// six decimal places from 1 up, to ten significant digits below 1, so that
// sums of probabilities read 4.7, not 4.700000000000001. Strings are copied
// as they are.
func roundFloats(js []byte) []byte {
	out := make([]byte, 0, len(js))
	for i := 0; i < len(js); {
		c := js[i]
		switch {
		case c == '"': // copy the string, escapes included
			j := i + 1
			for j < len(js) && js[j] != '"' {
				if js[j] == '\\' {
					j++
				}
				j++
			}
			j = min(j+1, len(js))
			out = append(out, js[i:j]...)
			i = j
		case c == '-' || c >= '0' && c <= '9':
			j := i + 1
			for j < len(js) && strings.IndexByte("0123456789.eE+-", js[j]) >= 0 {
				j++
			}
			num := js[i:j]
			if bytes.ContainsAny(num, ".eE") {
				if f, err := strconv.ParseFloat(string(num), 64); err == nil {
					if math.Abs(f) >= 1 {
						num = strconv.AppendFloat(nil, math.Round(f*1e6)/1e6, 'f', -1, 64)
					} else {
						num = strconv.AppendFloat(nil, f, 'g', 10, 64)
					}
				}
			}
			out = append(out, num...)
			i = j
		default:
			out = append(out, c)
			i++
		}
	}
	return out
}
