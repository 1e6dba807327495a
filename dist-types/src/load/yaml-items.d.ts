/**
 * The text ranges of the items of a YAML `List` in block style (`kubectl get -o yaml`):
 *
 *     apiVersion: v1
 *     items:
 *     - apiVersion: v1
 *       kind: Service
 *       …
 *     kind: List
 *
 * As for JSON (json-items.ts), a finding in one item needs the nodes of that item only, not
 * of a whole cluster's state: the `yaml` package's node tree of a 30 MB List is over a
 * gigabyte. Each range runs from the start of its entry's line (its indentation included)
 * to the start of the line that ends it (the next entry, the next key of the root mapping,
 * the document's end), so the text parses alone as a sequence of that one entry, at the
 * same relative offsets (a block scalar at its end keeps its trailing lines): its nodes
 * are found under index 0.
 *
 * Only a plain shape is split, read line by line: a root block mapping whose keys at
 * column 0 are plain words, one `items:` key with nothing after it on its line, and a block
 * sequence under it whose entries (`- ` at one column) hold every line more indented than
 * that column. In a document the `yaml` package reads without errors, no line of an entry's
 * content (a block or multi-line scalar, a flow collection over lines) may sit at or left
 * of that column, so the lines decide. Anything else (a tab in an indentation, a key that is
 * not a plain word, `items` twice, a flow sequence) gives undefined and the caller parses
 * the whole document; document.ts also parses the whole document when an item's text does
 * not parse alone without errors to one entry (an alias to another item's anchor).
 */
export declare function yamlListItems(text: string, start: number, end: number): [number, number][] | undefined;
