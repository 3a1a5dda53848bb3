package model

import (
	"fmt"
	"strings"
)

// didYouMean returns `; did you mean "X"?` naming the candidate closest to
// s, when one is close enough to be a likely typo, or "". Case is ignored.
func didYouMean(s string, candidates []string, prefix string) string {
	best, bestD := "", 0
	ls := strings.ToLower(s)
	limit := max(1, len([]rune(s))/3)
	for _, c := range candidates {
		if c == s {
			continue
		}
		lc := strings.ToLower(c)
		if diff := len(lc) - len(ls); diff > limit || -diff > limit {
			continue
		}
		d := levenshtein(ls, lc, limit)
		if d <= limit && (best == "" || d < bestD || (d == bestD && c < best)) {
			best, bestD = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", prefix+best)
}

// levenshtein is the edit distance between a and b, counting the swap of
// two neighbours as one edit (the commonest typo: "stroy", "tilte"), or
// limit+1 as soon as it is known to pass limit.
func levenshtein(a, b string, limit int) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1) // the row before prev, for swaps
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
