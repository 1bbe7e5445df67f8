package model

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"runtime"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// chunkedModel is a model whose three long lists span several chunks, with
// mistakes spread over them, at the edges of chunks and between, and an
// item in block style now and then.
func chunkedModel(decline int) []byte {
	var b strings.Builder
	b.WriteString("version: 1\nname: chunks\norganisations:\n")
	const orgs, svcs, deps = 3*chunkItems + 17, 2*chunkItems + 5, 5 * chunkItems
	for i := range orgs {
		switch {
		case i%chunkItems == chunkItems-1 || i%chunkItems == 0 && i > 0:
			fmt.Fprintf(&b, "  - {id: org-%d, kind: Trust, knd: trust}\n", i) // at a chunk's edge
		case i%397 == 5:
			fmt.Fprintf(&b, "  - {id: Org_%d, kind: trust, patients: \"12\"}\n", i)
		case i%501 == 7:
			fmt.Fprintf(&b, "  - id: org-%d\n    kind: trust\n    # a comment\n    patients: 1.5\n\n", i)
		case i == 2500:
			fmt.Fprintf(&b, "  - {id: org-1, kind: trust}\n") // a duplicate id across chunks
		default:
			fmt.Fprintf(&b, "  - {id: org-%d, kind: trust, ods: R%d}\n", i, i%100)
		}
	}
	b.WriteString("# the services\nservices:\n")
	for i := range svcs {
		switch {
		case i%333 == 1:
			fmt.Fprintf(&b, "  - {id: svc-%d, kind: ep, operator: org-%d}\n", i, i)
		case i == decline:
			fmt.Fprintf(&b, "  - &anchor {id: svc-%d, kind: epr, operator: org-%d}\n", i, i) // the fast reader declines it
		default:
			fmt.Fprintf(&b, "  - {id: svc-%d, kind: epr, operator: org-%d}\n", i, i%orgs)
		}
	}
	b.WriteString("dependencies:\n")
	for i := range deps {
		from, to := fmt.Sprintf("org-%d", i%orgs), fmt.Sprintf("svc-%d", i%svcs)
		switch {
		case i%chunkItems == 0:
			fmt.Fprintf(&b, "  - {from: %s, to: svc-none, type: service}\n", from)
		case i%211 == 3:
			fmt.Fprintf(&b, "  - {from: %s, to: %s, type: servce, likelihood: 1.5}\n", from, to)
		case i%307 == 9:
			fmt.Fprintf(&b, "  - from: %s\n    to: %s\n    type: data\n    critical: \"yes\"\n", from, to)
		case i%401 == 11:
			fmt.Fprintf(&b, "  - {from: %s, to: %s, type: service, alternatives: [%s, svc-nowhere]}\n", from, to, to)
		case i%613 == 17 && i > 1500:
			fmt.Fprintf(&b, "  - {from: org-%d, to: svc-%d, type: service, likelihood: 0.5}\n", (i-1500)%orgs, (i-1500)%svcs) // listed twice
		case i%449 == 13:
			fmt.Fprintf(&b, "  - {from: %s, type: service}\n", from)
		default:
			fmt.Fprintf(&b, "  - {from: %s, to: %s, type: service}\n", from, to)
		}
	}
	return []byte(b.String())
}

// The long lists decoded in chunks, by several goroutines, give the model
// and the messages, byte for byte and in order, that yaml.v3's nodes
// decoded in one pass give; and so does a file whose fast reading is given
// up in a later chunk.
func TestChunkedDecodeSameMessages(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	for _, decline := range []int{-1, chunkItems + 3} {
		src := chunkedModel(decline)
		l := newLoader(Files{}, Limits{})
		p, root, _ := l.parse("chunks.yaml", src, true, false)
		if root == nil || p.fast == nil {
			t.Fatal("the fast reader does not read the model")
		}
		for _, key := range []string{"organisations", "services", "dependencies"} {
			var ls *lazySeq
			for n, s := range p.fast.lazy {
				if n == root.Content[indexOfKey(root, key)+1] {
					ls = s
				}
			}
			if ls == nil || len(ls.marks) < 2 {
				t.Fatalf("%s: not read in chunks", key)
			}
		}
		if got := p.fast.declined; got != (decline >= 0) {
			t.Fatalf("decline at %d: the fast reader declined %v", decline, got)
		}

		_, ferr := newLoader(Files{}, Limits{}).load("chunks.yaml", src)
		slow := newLoader(Files{}, Limits{})
		slow.slow = true
		_, werr := slow.load("chunks.yaml", src)
		fast, want := messages(ferr), messages(werr)
		if len(want) < 100 {
			t.Fatalf("only %d messages:\n%s", len(want), strings.Join(want, "\n"))
		}
		for _, m := range []string{"listed twice", "no such organisation", "must be lower case", "duplicate id", "unknown key"} {
			if !strings.Contains(strings.Join(want, "\n"), m) {
				t.Errorf("no message says %q", m)
			}
		}
		if !reflect.DeepEqual(fast, want) {
			for i := range min(len(fast), len(want)) {
				if fast[i] != want[i] {
					t.Fatalf("decline at %d: message %d of %d\nchunked: %s\nyaml.v3: %s", decline, i, len(want), fast[i], want[i])
				}
			}
			t.Fatalf("decline at %d: %d messages, yaml.v3 %d", decline, len(fast), len(want))
		}
		lines := map[int]bool{}
		for _, e := range ferr.(ErrorList) {
			lines[e.Pos.Line/(chunkItems*2)] = true
		}
		if len(lines) < 4 {
			t.Errorf("the messages are on few parts of the file: %v", lines)
		}
	}
}

// The same for a valid model: the chunked decode gives the model one pass
// gives.
func TestChunkedDecodeSameModel(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	var b strings.Builder
	b.WriteString("version: 1\norganisations:\n")
	for i := range 3 * chunkItems {
		fmt.Fprintf(&b, "  - {id: org-%d, kind: trust, patients: %d, entry: 0.%d}\n", i, i, i%10)
	}
	b.WriteString("services:\n  - {id: svc-0, kind: epr}\n  - {id: svc-1, kind: epr}\ndependencies:\n")
	for i := range 4*chunkItems + 1 {
		fmt.Fprintf(&b, "  - {from: org-%d, to: svc-%d, type: service, likelihood: 0.%d}\n", i%(3*chunkItems), i/(3*chunkItems), i%9+1)
	}
	src := []byte(b.String())
	fast, ferr := newLoader(Files{}, Limits{}).load("m.yaml", src)
	slow := newLoader(Files{}, Limits{})
	slow.slow = true
	want, werr := slow.load("m.yaml", src)
	if ferr != nil || werr != nil {
		t.Fatalf("%v\n%v", ferr, werr)
	}
	if len(fast.Organisations) != 3*chunkItems || len(fast.Dependencies) != 4*chunkItems+1 {
		t.Fatalf("%d organisations, %d dependencies", len(fast.Organisations), len(fast.Dependencies))
	}
	if !reflect.DeepEqual(fast, want) {
		t.Fatal("the models differ")
	}
}

func indexOfKey(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return i
		}
	}
	return -1
}

func messages(err error) []string {
	var out []string
	if list, ok := err.(ErrorList); ok {
		for _, e := range list {
			out = append(out, e.Error())
		}
	}
	return out
}

// firstOfKey finds the first of each key as a map of every key does, in
// buckets small and large.
func TestFirstOfKey(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, nodes := range []int{1, 3, 50, 1000} {
		keys := make([]uint64, 5000)
		for i := range keys {
			if rng.IntN(10) > 0 {
				keys[i] = uint64(rng.IntN(nodes))<<35 | uint64(rng.IntN(nodes))<<4 | uint64(rng.IntN(3)+1)
			}
		}
		got := firstOfKey(keys, nodes)
		seen := map[uint64]int32{}
		for i, k := range keys {
			want := int32(-1)
			if k != 0 {
				if f, ok := seen[k]; ok {
					want = f
				} else {
					seen[k], want = int32(i), int32(i)
				}
			}
			if got[i] != want {
				t.Fatalf("%d nodes: key %d: first %d, want %d", nodes, i, got[i], want)
			}
		}
	}
}

// A panic while decoding a later chunk reaches the caller of decodeList, as it
// would in one pass, instead of ending the program from a goroutine.
func TestChunkedDecodePanicReachesCaller(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	src := chunkedModel(-1)
	p, root, _ := newLoader(Files{}, Limits{}).parse("chunks.yaml", src, true, false)
	deps := root.Content[indexOfKey(root, "dependencies")+1]
	n, items := p.seq(deps, "dependencies")
	defer func() {
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), "item 1500") {
			t.Fatalf("recovered %v", r)
		}
	}()
	decodeList(p, deps, n, items, func(q *parser, item *yaml.Node) *Dependency {
		if item.Line >= deps.Line+1500 {
			panic("item 1500")
		}
		return nil
	})
	t.Fatal("no panic")
}
