// After a change the settings page is drawn again from the server's answer. Without care that
// moves focus to the heading and scrolls to the top, far from the button that was pressed and
// from any word that it worked. This puts the confirmation in the section that asked, focuses
// it and scrolls it into view.

export interface AfterChange {
  /** data-section of the section whose action it was. */
  section: string;
  message: string;
}

export function showAfterChange(root: ParentNode, after: AfterChange): void {
  const section = root.querySelector<HTMLElement>(`[data-section="${after.section}"]`);
  if (!section) return;
  const done = document.createElement('p');
  done.className = 'notice';
  done.setAttribute('role', 'status');
  done.setAttribute('data-done', '');
  done.tabIndex = -1;
  done.textContent = after.message;
  section.append(done);
  done.focus({ preventScroll: true });
  done.scrollIntoView({ block: 'center' });
}
