// SPDX-License-Identifier: EUPL-1.2

/// The service's icon (a keystone, "sluitsteen"), served by the binary itself.
enum Icon {
    static let svg = """
        <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M4 28 L9 4 H23 L28 28 Z" fill="#01689b"/>\
        <path d="M12 10 H20 L18 22 H14 Z" fill="#ffffff"/></svg>
        """
}

/// The service's stylesheet, served by the binary itself (no external assets). System fonts, high contrast, a
/// visible focus ring, and a skip link that appears on focus.
enum Stylesheet {
    static let css = """
        :root { --tekst: #1a1a1a; --achtergrond: #ffffff; --accent: #01689b; --rand: #b4b4b4; --fout: #a4000f; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; font-size: 100%; line-height: 1.5; }
        body { margin: 0; color: var(--tekst); background: var(--achtergrond); }
        a { color: var(--accent); }
        a:focus, button:focus, input:focus, select:focus, textarea:focus, main:focus { outline: 3px solid #ffb612; outline-offset: 2px; }
        .skip { position: absolute; left: -9999px; top: 0; background: #ffffff; padding: .5rem 1rem; }
        .skip:focus { left: 1rem; top: 1rem; z-index: 10; }
        header { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: center; gap: 1rem;
                 padding: .75rem 1.5rem; border-bottom: 4px solid var(--accent); }
        header .brand { margin: 0; font-weight: 700; font-size: 1.25rem; }
        header .brand a { color: var(--tekst); text-decoration: none; }
        .account { display: flex; align-items: center; gap: 1rem; }
        .account p, .account form { margin: 0; }
        main { max-width: 60rem; padding: 1rem 1.5rem 3rem; }
        footer { border-top: 1px solid var(--rand); padding: 1rem 1.5rem; font-size: .875rem; color: #4a4a4a; }
        button, .knop { font: inherit; padding: .4rem 1rem; border: 2px solid var(--accent); border-radius: 4px;
                        background: var(--accent); color: #ffffff; cursor: pointer; text-decoration: none; display: inline-block; }
        button.secundair { background: #ffffff; color: var(--accent); }
        label { display: block; font-weight: 600; margin-top: .75rem; }
        input, select, textarea { font: inherit; padding: .35rem .5rem; border: 1px solid #6b6b6b; border-radius: 4px; }
        table { border-collapse: collapse; width: 100%; }
        th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid var(--rand); vertical-align: top; }
        dl.gegevens { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
        dl.gegevens dt { font-weight: 600; }
        dl.gegevens dd { margin: 0; }
        ul.onderdelen { list-style: none; padding: 0; }
        ul.onderdelen li { margin: .75rem 0; padding: .75rem 1rem; border-left: 4px solid var(--accent); background: #f3f6f9; }
        .volgt { color: #4a4a4a; font-style: italic; }
        .status { color: #4a4a4a; font-size: .875rem; }
        .melding { padding: .75rem 1rem; border-left: 4px solid var(--fout); background: #fbeeee; }
        .bericht { padding: .75rem 1rem; border-left: 4px solid #39870c; background: #eef6e9; }
        .demo { padding: .5rem 1rem; border: 3px solid var(--fout); color: var(--fout); font-weight: 700; }
        .hulp, .klein { font-size: .875rem; color: #4a4a4a; font-weight: 400; }
        label.inline, label.klein { display: inline; margin: 0; }
        .verborgen { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        .paginering { display: flex; gap: 1.5rem; margin: 1rem 0; }
        .knoppen button { margin-right: .25rem; }
        td form { margin: 0; }
        fieldset { border: 1px solid var(--rand); margin-top: .75rem; }
        pre.berichttekst { white-space: pre-wrap; overflow-wrap: anywhere; background: #f7f7f7; padding: .75rem; border: 1px solid var(--rand); }
        iframe.htmlweergave { width: 100%; min-height: 24rem; border: 1px solid var(--rand); }
        ol.toelichting li { margin: .25rem 0; }
        table.audit td { font-size: .875rem; overflow-wrap: anywhere; }
        """
}
