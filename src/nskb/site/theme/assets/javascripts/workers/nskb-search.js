/* The site's search worker: Material's own worker, with nskb's query handling in front of it.
 *
 * Material's worker hands the typed text to lunr's query parser, which reads `-`, `+`, `~`, `^`,
 * `:` and `*` as syntax (a pasted `--no-sandbox` finds nothing) and matches every word as a
 * prefix (`不*` finds 不够). Here the text is turned into plain terms first (nskb-query.js), and
 * lunr's search runs those terms: exact words weigh most, prefixes a little, Chinese cut as jieba
 * cut the index. Material still does the rest: highlighting, grouping, the result list. */
"use strict"
importScripts("nskb-query.js")

const MATERIAL_WORKER = /^search\.[0-9a-f]+\.min\.js$/
const material = new URLSearchParams(self.location.search).get("material") || ""
let dictionary = null
let titles = new Map()                  // location -> the title's words, for the phrase bonus
let current = { words: [], prefixes: [], sequence: [] }
// A result whose title carries the typed line whole counts this many times more.
const PHRASE_BONUS = 4

// Registered before Material's own listener, so it sees (and rewrites) each message first.
self.addEventListener("message", event => {
  const message = event.data
  if (message && message.type === 0 && message.data && Array.isArray(message.data.docs)) {
    dictionary = self.nskbQuery.vocabulary(message.data.docs)
    titles = new Map(message.data.docs.map(doc => [doc.location, self.nskbQuery.titleWords(doc.title)]))
  }
  if (message && message.type === 2) {
    current = self.nskbQuery.plan(message.data, dictionary)
    message.data = self.nskbQuery.plainQuery(current)
  }
})

if (!MATERIAL_WORKER.test(material)) throw new Error("nskb-search.js: no Material worker named in ?material=")
importScripts(material)

// Material's worker exposes lunr as self.lunr; its search() calls index.search(text).
self.lunr.Index.prototype.search = function () {
  const { wildcard } = self.lunr.Query
  const results = this.query(query => {
    for (const word of current.words)
      query.term(word, { boost: 10 * Math.min(word.length, 4), usePipeline: false })
    for (const prefix of current.prefixes)
      query.term(prefix, { boost: 1, usePipeline: false, wildcard: wildcard.TRAILING })
  })
  for (const result of results) {
    const cover = self.nskbQuery.phraseCover(current.sequence, titles.get(result.ref) || [])
    result.score *= 1 + PHRASE_BONUS * cover * cover
  }
  return results.sort((a, b) => b.score - a.score)
}
