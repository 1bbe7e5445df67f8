package graph

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Options tune how a long analysis (Rank, NetworkGains, Chokepoints) runs;
// the zero value is fine. Its results do not depend on them.
type Options struct {
	// Context, if set, cancels the analysis, which then returns the
	// context's error.
	Context context.Context
	// Workers is the number of goroutines; 0 means one per CPU.
	Workers int
	// Progress, if set, is called now and then with the units of work done
	// and the total. It must be safe for concurrent use.
	Progress func(done, total int)
}

// RankOptions is the former name of Options.
type RankOptions = Options

func (o Options) context() context.Context {
	if o.Context == nil {
		return context.Background()
	}
	return o.Context
}

// parallel calls do(s, i) for every i in [0, n), spread over the workers of
// opt, each with its own state s from newState. do must write its result by
// index, or combine it in a way that order does not change, so that results
// do not depend on the number of workers. parallel reports progress as opt
// asks, stops early if opt's context is cancelled, and returns its error.
func parallel[S any](opt Options, n int, newState func() S, do func(s S, i int)) error {
	ctx := opt.context()
	if err := ctx.Err(); err != nil {
		return err
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = max(1, min(workers, n))
	step := int64(max(1, min(1024, n/64)))
	var next, done atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := newState()
			for ctx.Err() == nil {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				do(s, int(i))
				if d := done.Add(1); opt.Progress != nil && (d%step == 0 || d == int64(n)) {
					opt.Progress(int(d), n)
				}
			}
		}()
	}
	wg.Wait()
	return ctx.Err()
}
