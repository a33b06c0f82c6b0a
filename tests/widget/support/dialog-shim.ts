/**
 * jsdom has `<dialog>` (and hides it while closed) but not `showModal()` / `close()`, nor the
 * Escape → `cancel` event a browser fires. This shim does just enough of the HTML spec for the
 * widget's tests: toggles `open`, fires `close`, and turns Escape into a cancelable `cancel` that
 * closes unless prevented. Real browsers are covered by the e2e suite.
 */
const modalStack: HTMLDialogElement[] = [];

function install(): void {
  const proto = HTMLDialogElement.prototype as HTMLDialogElement & { __heimShim?: boolean };
  if (proto.__heimShim) return;
  Object.defineProperty(proto, '__heimShim', { value: true });

  proto.showModal = function showModal(this: HTMLDialogElement) {
    if (this.open) throw new DOMException('The dialog is already open.', 'InvalidStateError');
    if (!this.isConnected) throw new DOMException('The dialog is not in a document.', 'InvalidStateError');
    this.setAttribute('open', '');
    modalStack.push(this);
  };

  proto.show = function show(this: HTMLDialogElement) {
    this.setAttribute('open', '');
  };

  proto.close = function close(this: HTMLDialogElement, returnValue?: string) {
    if (!this.open) return;
    if (returnValue !== undefined) this.returnValue = returnValue;
    this.removeAttribute('open');
    const index = modalStack.indexOf(this);
    if (index >= 0) modalStack.splice(index, 1);
    // Browsers queue the event as a task; firing it synchronously is close enough for the widget.
    this.dispatchEvent(new Event('close'));
  };

  document.addEventListener(
    'keydown',
    // Bubble phase, like the browser's default action: a handler that prevents Escape wins.
    (event) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      const top = modalStack.filter((dialog) => dialog.isConnected && dialog.open).at(-1);
      if (top === undefined) return;
      const cancel = new Event('cancel', { cancelable: true });
      if (top.dispatchEvent(cancel)) top.close();
    },
  );
}

install();

/** Open modal dialogs, topmost last (for assertions). */
export function openModalDialogs(): readonly HTMLDialogElement[] {
  return modalStack.filter((dialog) => dialog.isConnected && dialog.open);
}
