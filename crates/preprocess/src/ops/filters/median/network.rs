//! Min/max (compare-exchange) networks for medians of small windows, built at run time
//! for any window shape and run on many samples at once.
//!
//! A window's median is found in two stages. Each column of the window is sorted first
//! (a sorting network over `height` values); that work is done once per image column
//! and shared by every window containing it. The sorted columns are then merged with
//! Batcher's odd-even merge, pairwise as a tree, keeping only what the median needs:
//! the builder records which values are already known to be ordered (sorted columns,
//! earlier compare-exchanges) and emits no compare-exchange for those, and afterwards
//! only the operations the median depends on are kept (often just the min, or just the
//! max, of a pair). Each value then gets a slot, reused once the value is dead.

/// One step: the min and/or the max of slots `a` and `b`, each into its own slot.
#[derive(Debug, Clone, Copy)]
struct Step {
    a: u16,
    b: u16,
    min: Option<u16>,
    max: Option<u16>,
}

/// A compiled network: load the inputs into their slots, run, read the output slots.
#[derive(Debug, Clone)]
pub(super) struct Network {
    /// `(slot, input index)` for every input the outputs depend on.
    pub(super) inputs: Vec<(usize, usize)>,
    steps: Vec<Step>,
    pub(super) outputs: Vec<usize>,
    pub(super) slots: usize,
}

/// Lanes per slot: the samples one pass of the network works on at once.
pub(super) const LANES: usize = 64;
pub(super) type Lanes = [u8; LANES];

impl Network {
    /// Sorts `n` values: output `k` is the `k`-th smallest.
    pub(super) fn sort(n: usize) -> Network {
        let mut b = Builder::default();
        let inputs: Vec<usize> = (0..n).map(|_| b.input(None)).collect();
        let sorted = b.sort(&inputs);
        b.compile(n, &sorted)
    }

    /// The median of `columns` sorted columns of `height` values each; input
    /// `column * height + rank` is the rank-th smallest of its column.
    pub(super) fn median_of_sorted_columns(columns: usize, height: usize) -> Network {
        let mut b = Builder::default();
        let cols: Vec<Vec<usize>> = (0..columns)
            .map(|_| {
                let mut previous = None;
                (0..height)
                    .map(|_| {
                        let node = b.input(previous);
                        previous = Some(node);
                        node
                    })
                    .collect()
            })
            .collect();
        let merged = b.tree(cols);
        b.compile(columns * height, &[merged[merged.len() / 2]])
    }

    /// Runs the network on every lane of `slots` (inputs already loaded).
    #[inline(always)]
    pub(super) fn run(&self, slots: &mut [Lanes]) {
        for step in &self.steps {
            let (x, y) = (slots[step.a as usize], slots[step.b as usize]);
            if let Some(min) = step.min {
                let mut m = [0u8; LANES];
                for ((m, &x), &y) in m.iter_mut().zip(&x).zip(&y) {
                    *m = x.min(y);
                }
                slots[min as usize] = m;
            }
            if let Some(max) = step.max {
                let mut m = [0u8; LANES];
                for ((m, &x), &y) in m.iter_mut().zip(&x).zip(&y) {
                    *m = x.max(y);
                }
                slots[max as usize] = m;
            }
        }
    }

    /// Min and max operations run (a compare-exchange keeping both counts two).
    pub(super) fn operations(&self) -> usize {
        self.steps
            .iter()
            .map(|s| usize::from(s.min.is_some()) + usize::from(s.max.is_some()))
            .sum()
    }
}

/// One compare-exchange of the full network: nodes `min` and `max` from `a` and `b`.
#[derive(Debug, Clone, Copy)]
struct Exchange {
    a: usize,
    b: usize,
    min: usize,
    max: usize,
}

#[derive(Default)]
struct Builder {
    /// For each node, the set (a bitset) of nodes known to be <= it, itself included.
    below: Vec<Vec<u64>>,
    exchanges: Vec<Exchange>,
    /// Input index of each input node.
    input_of: Vec<Option<usize>>,
    inputs: usize,
}

impl Builder {
    fn node(&mut self, mut below: Vec<u64>, input: Option<usize>) -> usize {
        let id = self.below.len();
        below.resize(id / 64 + 1, 0);
        below[id / 64] |= 1 << (id % 64);
        self.below.push(below);
        self.input_of.push(input);
        id
    }

    /// A new input, known to be >= `above` when given.
    fn input(&mut self, above: Option<usize>) -> usize {
        let below = above.map(|a| self.below[a].clone()).unwrap_or_default();
        let index = self.inputs;
        self.inputs += 1;
        self.node(below, Some(index))
    }

    fn known_le(&self, a: usize, b: usize) -> bool {
        self.below[b]
            .get(a / 64)
            .is_some_and(|w| (w >> (a % 64)) & 1 == 1)
    }

    /// `(min, max)` of two nodes, without an operation when their order is known.
    fn exchange(&mut self, a: usize, b: usize) -> (usize, usize) {
        if self.known_le(a, b) {
            return (a, b);
        }
        if self.known_le(b, a) {
            return (b, a);
        }
        let (ba, bb) = (&self.below[a], &self.below[b]);
        let both: Vec<u64> = ba.iter().zip(bb).map(|(x, y)| x & y).collect();
        let mut either: Vec<u64> = vec![0; ba.len().max(bb.len())];
        for (e, w) in either.iter_mut().zip(ba) {
            *e |= w;
        }
        for (e, w) in either.iter_mut().zip(bb) {
            *e |= w;
        }
        let min = self.node(both, None);
        either.resize(min / 64 + 1, 0);
        either[min / 64] |= 1 << (min % 64);
        let max = self.node(either, None);
        self.exchanges.push(Exchange { a, b, min, max });
        (min, max)
    }

    /// Batcher's odd-even merge of two sorted lists (any lengths).
    fn merge(&mut self, a: &[usize], b: &[usize]) -> Vec<usize> {
        if a.is_empty() {
            return b.to_vec();
        }
        if b.is_empty() {
            return a.to_vec();
        }
        if a.len() == 1 && b.len() == 1 {
            let (lo, hi) = self.exchange(a[0], b[0]);
            return vec![lo, hi];
        }
        let evens = |v: &[usize]| v.iter().step_by(2).copied().collect::<Vec<_>>();
        let odds = |v: &[usize]| v.iter().skip(1).step_by(2).copied().collect::<Vec<_>>();
        let e = self.merge(&evens(a), &evens(b));
        let o = self.merge(&odds(a), &odds(b));
        let mut out = vec![e[0]];
        let rest = &e[1..];
        for k in 0..o.len().max(rest.len()) {
            match (o.get(k), rest.get(k)) {
                (Some(&x), Some(&y)) => {
                    let (lo, hi) = self.exchange(x, y);
                    out.extend([lo, hi]);
                }
                (Some(&x), None) | (None, Some(&x)) => out.push(x),
                (None, None) => {}
            }
        }
        out
    }

    fn sort(&mut self, v: &[usize]) -> Vec<usize> {
        if v.len() <= 1 {
            return v.to_vec();
        }
        let (a, b) = v.split_at(v.len() / 2);
        let (a, b) = (self.sort(a), self.sort(b));
        self.merge(&a, &b)
    }

    /// Merges sorted lists pairwise until one is left.
    fn tree(&mut self, mut lists: Vec<Vec<usize>>) -> Vec<usize> {
        while lists.len() > 1 {
            let mut next = Vec::with_capacity(lists.len().div_ceil(2));
            for pair in lists.chunks(2) {
                next.push(if let [a, b] = pair {
                    self.merge(a, b)
                } else {
                    pair[0].clone()
                });
            }
            lists = next;
        }
        lists.pop().unwrap_or_default()
    }

    /// Keeps what `outputs` depend on and gives every live node a slot.
    fn compile(&self, inputs: usize, outputs: &[usize]) -> Network {
        let nodes = self.below.len();
        // Liveness, backwards.
        let mut needed = vec![false; nodes];
        for &o in outputs {
            needed[o] = true;
        }
        let mut live = Vec::new();
        for ex in self.exchanges.iter().rev() {
            let (want_min, want_max) = (needed[ex.min], needed[ex.max]);
            if want_min || want_max {
                live.push((*ex, want_min, want_max));
                needed[ex.a] = true;
                needed[ex.b] = true;
            }
        }
        live.reverse();
        // Last use of every node (outputs: never).
        let mut last_use = vec![usize::MAX; nodes];
        for (i, (ex, _, _)) in live.iter().enumerate() {
            last_use[ex.a] = i;
            last_use[ex.b] = i;
        }
        for &o in outputs {
            last_use[o] = usize::MAX;
        }
        let mut slot_of = vec![usize::MAX; nodes];
        let mut free: Vec<usize> = Vec::new();
        let mut slots = 0;
        let mut take = |free: &mut Vec<usize>| {
            free.pop().unwrap_or_else(|| {
                slots += 1;
                slots - 1
            })
        };
        let mut network_inputs = Vec::new();
        for node in 0..nodes {
            if let Some(index) = self.input_of[node]
                && needed[node]
            {
                slot_of[node] = take(&mut free);
                network_inputs.push((slot_of[node], index));
            }
        }
        debug_assert!(network_inputs.iter().all(|&(_, i)| i < inputs));
        let mut steps = Vec::with_capacity(live.len());
        for (i, (ex, want_min, want_max)) in live.iter().enumerate() {
            let (a, b) = (slot_of[ex.a], slot_of[ex.b]);
            for node in [ex.a, ex.b] {
                if last_use[node] == i && slot_of[node] != usize::MAX {
                    free.push(slot_of[node]);
                    slot_of[node] = usize::MAX;
                }
            }
            let mut place = |node: usize, want: bool, free: &mut Vec<usize>| {
                want.then(|| {
                    slot_of[node] = take(free);
                    slot_of[node] as u16
                })
            };
            let min = place(ex.min, *want_min, &mut free);
            let max = place(ex.max, *want_max, &mut free);
            steps.push(Step {
                a: a as u16,
                b: b as u16,
                min,
                max,
            });
        }
        let outputs = outputs.iter().map(|&o| slot_of[o]).collect();
        Network {
            inputs: network_inputs,
            steps,
            outputs,
            slots,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `net` on up to `LANES` inputs at once, one per lane.
    fn eval(net: &Network, inputs: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut results = Vec::new();
        for batch in inputs.chunks(LANES) {
            let mut slots = vec![[0u8; LANES]; net.slots];
            for &(slot, index) in &net.inputs {
                for (lane, values) in batch.iter().enumerate() {
                    slots[slot][lane] = values[index];
                }
            }
            net.run(&mut slots);
            results
                .extend((0..batch.len()).map(|lane| net.outputs.iter().map(|&s| slots[s][lane]).collect()));
        }
        results
    }

    #[test]
    fn sorting_networks_sort_every_zero_one_input() {
        for n in 1..=12 {
            let net = Network::sort(n);
            let inputs: Vec<Vec<u8>> = (0u32..1 << n)
                .map(|bits| (0..n).map(|i| (bits >> i & 1) as u8).collect())
                .collect();
            for (input, output) in inputs.iter().zip(eval(&net, &inputs)) {
                let mut expected = input.clone();
                expected.sort_unstable();
                assert_eq!(output, expected, "n = {n}, input {input:?}");
            }
        }
    }

    #[test]
    fn merge_networks_find_the_median_of_sorted_columns() {
        // 0-1 principle: every column is some zeros then some ones, in all combinations.
        for (w, h) in [
            (1, 1),
            (3, 1),
            (1, 5),
            (3, 3),
            (5, 5),
            (7, 3),
            (3, 7),
            (5, 3),
            (9, 1),
            (7, 5),
        ] {
            let net = Network::median_of_sorted_columns(w, h);
            let mut inputs = Vec::new();
            let mut ones = vec![0usize; w];
            loop {
                let mut v = Vec::with_capacity(w * h);
                for &k in &ones {
                    v.extend((0..h).map(|r| u8::from(r >= h - k)));
                }
                inputs.push(v);
                let Some(j) = ones.iter().position(|&k| k < h) else {
                    break;
                };
                ones[j] += 1;
                ones[..j].fill(0);
            }
            for (input, output) in inputs.iter().zip(eval(&net, &inputs)) {
                let mut sorted = input.clone();
                sorted.sort_unstable();
                assert_eq!(output, [sorted[w * h / 2]], "{w}x{h}, input {input:?}");
            }
        }
    }

    #[test]
    fn the_merge_for_5x5_is_pruned() {
        // Full Batcher merging would take 107 compare-exchanges (214 operations).
        assert!(Network::median_of_sorted_columns(5, 5).operations() <= 140);
    }
}
