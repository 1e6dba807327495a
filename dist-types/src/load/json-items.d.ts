/**
 * The text ranges of the items of a JSON `List` (`kubectl get -o json`): `{ …, "items": [ A,
 * B, … ] }`. A finding in item B needs the nodes of B only, not of the whole list, which for
 * a cluster's state is megabytes parsed into a node tree many times its size. JSON is
 * YAML's flow style, so an item's text parses on its own to the same nodes at the same
 * relative offsets (test/json-items.test.ts checks it against parsing the whole document).
 * Anything that is not plain JSON of that shape (comments, YAML flow extras, a repeated
 * `items` key) gives undefined, and the caller parses the whole document as before.
 */
export declare function jsonListItems(text: string, start: number, end: number): [number, number][] | undefined;
