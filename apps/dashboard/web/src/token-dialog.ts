/*
 * The modal that asks for the API token, built with DOM APIs so that api.ts (which awaits it)
 * stays free of React. Every text is set as text; nothing here parses HTML.
 */

function element<K extends keyof HTMLElementTagNameMap>(tag: K, properties: Partial<HTMLElementTagNameMap[K]> = {}, ...children: Node[]): HTMLElementTagNameMap[K] {
  const node = Object.assign(document.createElement(tag), properties);
  node.append(...children);
  return node;
}

/**
 * Shows a modal `<dialog>` with a password input and resolves with the trimmed token on OK, or
 * null on Cancel, Escape or an empty input. The dialog is removed from the page once closed, so
 * the token does not linger in the DOM. `readsToo`: the server shows nothing without the token
 * (not only changes need it).
 */
export function askForToken(readsToo = false): Promise<string | null> {
  const input = element('input', { type: 'password', id: 'api-token', name: 'token', required: true, autocomplete: 'off', spellcheck: false });
  const form = element(
    'form',
    { method: 'dialog' },
    element('h2', { id: 'api-token-title', textContent: 'API token needed' }),
    element('p', {
      id: 'api-token-help',
      textContent: readsToo
        ? 'This trainyard server needs its API token (TRAINYARD_API_TOKEN) to show runs and to make changes. It is kept for this tab only.'
        : 'This trainyard server needs its API token (TRAINYARD_API_TOKEN) for changes. Nothing is changed without it.',
    }),
    element('label', { htmlFor: 'api-token', textContent: 'API token' }),
    input,
    element(
      'div',
      { className: 'actions' },
      // Not a submit button: Enter in the input submits the form with its first submit button, OK.
      element('button', { type: 'button', textContent: 'Cancel', onclick: () => dialog.close() }),
      element('button', { type: 'submit', value: 'ok', className: 'primary', textContent: 'OK' }),
    ),
  );
  const dialog = element('dialog', { className: 'token-dialog' }, form);
  dialog.setAttribute('aria-labelledby', 'api-token-title');
  dialog.setAttribute('aria-describedby', 'api-token-help');
  return new Promise((resolve) => {
    // Cancel and Escape close the dialog without a form submission: returnValue stays ''.
    dialog.addEventListener(
      'close',
      () => {
        const token = dialog.returnValue === 'ok' ? input.value.trim() : '';
        dialog.remove();
        resolve(token || null);
      },
      { once: true },
    );
    document.body.append(dialog);
    dialog.showModal();
  });
}
