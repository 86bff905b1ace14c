"use client";
import Form from "next/form";

/** On every page: a height, block hash, txid or address → /search, which redirects to the one result. */
export function SearchBox({ initial = "", autoFocus = false }: { initial?: string; autoFocus?: boolean }) {
  return (
    <Form action="/search" className="search" role="search" aria-label="Search the chains">
      <label htmlFor={autoFocus ? "q-main" : "q"} className="sr-only">Height, block hash, transaction id or address</label>
      <input
        id={autoFocus ? "q-main" : "q"}
        name="q"
        type="search"
        defaultValue={initial}
        placeholder="Height, block hash, txid or address"
        autoComplete="off"
        spellCheck={false}
        required
        maxLength={200}
        autoFocus={autoFocus}
      />
      <button type="submit">Search</button>
    </Form>
  );
}
