import { cardMarkdown } from "../../../tools/workbench/cardMarkdown";

/** The escaping the deal-escalation flow applies to CRM text before it goes into the card's TextBlocks. */
const flowEscape = (s: string) => s.replace(/[\\`*_[\]()#+\-.!<>|~{}]/g, (c) => `\\${c}`);

describe("card markdown (Teams' subset with backslash escapes)", () => {
  it("draws bold, italic and https links", () => {
    expect(cardMarkdown("**Big** _deal_ [open](https://contoso.example/x)")).toBe('<strong>Big</strong> <em>deal</em> <a href="https://contoso.example/x" target="_blank" rel="noopener noreferrer">open</a>');
  });

  it("never makes a link of a non-https target, and keeps HTML as text", () => {
    expect(cardMarkdown("[x](javascript:alert(1)) <img src=x onerror=alert(1)>")).toBe("[x](javascript:alert(1)) &lt;img src=x onerror=alert(1)&gt;");
  });

  it.each([
    "[Click here](https://evil.example/phish)",
    "**Acme** _Corp_ <script>alert(1)</script>",
    "Contoso (Asia) Ltd. — 10% off! #1 | a~b {c}",
    "back\\slash `code` 1. not a list",
  ])("shows the flow's escaped CRM text literally: %s", (name) => {
    const html = cardMarkdown(flowEscape(name));
    expect(html).not.toMatch(/<a |<strong>|<em>|<script/);
    const text = html.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
    expect(text).toBe(name);
  });
});
