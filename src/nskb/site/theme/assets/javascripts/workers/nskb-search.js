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
let titles = new Map()                  // location -> [the words of each title it answers for]
let current = { words: [], prefixes: [], sequence: [] }
// A result whose title carries the typed line whole counts this many times more; the fourth power
// keeps a title that shares only part of the line (4 of 6 words: x1.2 ... x3) well below it.
const PHRASE_BONUS = 10

// Registered before Material's own listener, so it sees (and rewrites) each message first.
self.addEventListener("message", event => {
  const message = event.data
  if (message && message.type === 0 && message.data && Array.isArray(message.data.docs)) {
    dictionary = self.nskbQuery.vocabulary(message.data.docs)
    // A section answers for its own title; a page's article also for its sections' titles, so the
    // Chinese page of a message wins by the English message that heads its first section.
    titles = new Map()
    for (const doc of message.data.docs) {
      const words = self.nskbQuery.titleWords(doc.title)
      const page = doc.location.split("#")[0]
      titles.set(doc.location, (titles.get(doc.location) || []).concat([words]))
      if (page !== doc.location) titles.set(page, (titles.get(page) || []).concat([words]))
    }
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
    const cover = Math.max(0, ...(titles.get(result.ref) || []).map(words => self.nskbQuery.phraseCover(current.sequence, words)))
    result.score *= 1 + PHRASE_BONUS * cover ** 4
  }
  return results.sort((a, b) => b.score - a.score)
}
