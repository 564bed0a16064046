/* nskb search queries: what a person pastes (a whole log line with flags, paths, `~`, quotes and
 * colons, or Chinese text) becomes a list of plain index terms. Loaded by nskb-search.js in the
 * search worker, and by the tests under Node (module.exports at the end).
 *
 * The index is built by Material's search plugin with jieba: Chinese runs are cut into words and
 * the words joined by U+200B. Queries are cut the same way jieba cuts (a DAG of dictionary words,
 * then the most probable route, `jieba.cut(HMM=False)`), with the dictionary being the words jieba
 * produced for this index and their counts in it, so a query word is an index word whenever the
 * index has it. */
(function (root) {
  "use strict"

  const MAX_TERMS = 32          // a pasted log line has a few dozen words; more only slows lunr
  const MAX_QUERY = 4000        // characters looked at
  const MAX_WORD = 12           // longest Chinese word the segmenter tries
  const HAN = /\p{Script=Han}/u
  const HAN_RUN = /\p{Script=Han}+/gu
  // Anything that is not a letter or digit separates words: lunr's query syntax (+ - ~ ^ : * ")
  // can never reach lunr, and `--no-sandbox`, `~/.cache` or `uid_map:` become plain words.
  const SEPARATOR = /[^\p{L}\p{N}]+/u
  // Chinese function words that would match half the index on their own.
  const HAN_STOP = new Set("的了是在和或与及时就也都而着把被让".split(""))
  const NOISE = /^(?:\d+|0x[0-9a-f]+|[0-9a-f]{8,})$/  // pids, timestamps, addresses, hashes

  /** Count every Chinese word in the index: the segmenter's dictionary. */
  function vocabulary(docs) {
    const freq = new Map()
    let total = 0
    for (const doc of docs)
      for (const value of [doc.title || "", doc.text || ""])
        for (const word of value.replace(/<[^>]*>/g, " ").split(/[\s\u200b\u3000]+/))
          if (word && HAN.test(word))
            for (const piece of word.split(/[^\p{Script=Han}]+/u))
              if (piece) { freq.set(piece, (freq.get(piece) || 0) + 1); total++ }
    return { freq, total: Math.max(total, 1) }
  }

  /** jieba's cut without HMM: build the DAG of dictionary words, take the most probable route. */
  function segment(run, dict) {
    const n = run.length
    const logTotal = Math.log(dict.total)
    const route = new Array(n + 1)
    route[n] = [0, 0]
    for (let i = n - 1; i >= 0; i--) {
      let best = [-Infinity, i]
      for (let j = i; j < Math.min(n, i + MAX_WORD); j++) {
        const word = run.slice(i, j + 1)
        const f = dict.freq.get(word)
        if (f === undefined && j > i) continue           // only dictionary words, or one character
        const score = Math.log(f || 1) - logTotal + route[j + 1][0]
        if (score > best[0]) best = [score, j]
      }
      route[i] = best
    }
    const words = []
    for (let i = 0; i < n; i = route[i][1] + 1) words.push(run.slice(i, route[i][1] + 1))
    return words
  }

  /** The query as terms: {words: exact index words, prefixes: words to match as prefixes}. */
  function plan(query, dict) {
    const text = String(query || "").slice(0, MAX_QUERY).toLowerCase().normalize("NFKC")
    const words = [], prefixes = [], sequence = []
    const seen = new Set()
    const add = (list, term) => {
      const key = (list === words ? "=" : "*") + term
      if (!seen.has(key) && words.length + prefixes.length < MAX_TERMS) { seen.add(key); list.push(term) }
    }
    const parts = text.split(SEPARATOR).filter(Boolean)
    parts.forEach((part, at) => {
      const last = at === parts.length - 1
      // Latin and Chinese alternate inside a part ("bwrap报错"): handle each run on its own.
      for (const piece of part.split(/(\p{Script=Han}+)/u).filter(Boolean)) {
        if (HAN.test(piece)) {
          const cut = dict ? segment(piece, dict) : [piece]
          sequence.push(...cut)
          if (cut.length > 1) add(prefixes, piece)        // the whole run may be one index word
          for (const word of cut)
            if (!(word.length === 1 && HAN_STOP.has(word))) add(words, word)
          if (last) add(prefixes, cut[cut.length - 1])  // still being typed
        } else if (!NOISE.test(piece) && (piece.length > 1 || last)) {
          if (piece.length > 1) sequence.push(piece)
          add(words, piece)
          if (piece.length > 2 || last) add(prefixes, piece)
        }
      }
    })
    return { words, prefixes, sequence: sequence.slice(0, 4 * MAX_TERMS) }
  }

  /** A title's words in order, as the index cut them (jieba's U+200B between Chinese words). */
  function titleWords(title) {
    return String(title || "").replace(/<[^>]*>/g, " ").replace(/&[a-z]+;|&#\d+;/g, " ")
      .toLowerCase().normalize("NFKC").split(SEPARATOR)
      .filter(word => word && (HAN.test(word) || (word.length > 1 && !NOISE.test(word))))
  }

  /** How much a title says what was typed: the longest run of words that the query and the title
   * share in the same order, against the shorter of the two (1: one contains the other). A
   * pasted line that carries a message whole, behind a prefix or before a suffix, scores 1. */
  function phraseCover(sequence, title) {
    if (!sequence.length || !title.length) return 0
    let best = 0
    const previous = new Array(title.length + 1).fill(0)
    for (let i = 1; i <= sequence.length; i++) {
      let diagonal = 0
      for (let j = 1; j <= title.length; j++) {
        const above = previous[j]
        previous[j] = sequence[i - 1] === title[j - 1] ? diagonal + 1 : 0
        if (previous[j] > best) best = previous[j]
        diagonal = above
      }
    }
    const shorter = Math.min(sequence.length, title.length)
    return best >= Math.min(3, shorter) ? best / shorter : 0
  }

  /** What Material's own query parser gets: the same words, with nothing it could misread. */
  function plainQuery(p) {
    return p.words.concat(p.prefixes.filter(t => !p.words.includes(t))).join(" ")
  }

  const api = { vocabulary, segment, plan, plainQuery, titleWords, phraseCover }
  if (typeof module !== "undefined" && module.exports) module.exports = api
  else root.nskbQuery = api
})(typeof self !== "undefined" ? self : this)
