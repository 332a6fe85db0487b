// The admin page's "who may get in" parts: add a user (their enrolment link), invite
// someone (an invitation link), edit a user's groups. Links are shown once, to hand on.
import { api, type AccessLink, type AdminUser } from '../api.js';
import { busy, field, h } from '../dom.js';
import { describeError } from '../messages.js';
import { withStepUp } from '../verify/withStepUp.js';
import { formatDateTime, t } from '../i18n/i18n.js';
import { feedbackArea, type Feedback } from './adminFeedback.js';

const groupList = (text: string) => [...new Set(text.split(',').map((g) => g.trim()).filter(Boolean))];

/** A link to hand on, shown once and whole (it wraps, never cut off), with a button that copies it. */
export function linkBox(label: string, link: AccessLink) {
  const input = h('textarea', { readonly: true, rows: '3', spellcheck: 'false', 'aria-label': label, class: 'access-link' });
  input.value = link.url;
  input.addEventListener('focus', () => input.select());
  const copied = h('span', { role: 'status', 'aria-live': 'polite' });
  const copy = h('button', { type: 'button', class: 'secondary', 'data-copy-link': true }, t('admin.copyLink'));
  copy.addEventListener('click', () => {
    navigator.clipboard.writeText(link.url).then(
      () => (copied.textContent = t('admin.linkCopied')),
      () => input.select(),
    );
  });
  return h('div', { class: 'notice', role: 'status' }, h('p', {}, t('admin.linkUntil', { label, until: formatDateTime(link.expiresAt) })), input, copy, copied);
}

function linkForm(opts: { id: string; title: string; fields: ReturnType<typeof field>[]; submit: string; make(): Promise<{ label: string; link: AccessLink }> }) {
  const f = feedbackArea();
  const form = h('form', { id: opts.id, novalidate: true }, h('h2', {}, opts.title), ...opts.fields.map((x) => x.wrap), h('button', { type: 'submit' }, opts.submit));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    f.error.clear();
    if (!form.checkValidity()) return f.error.show(t('admin.fillRequired'));
    void busy(form, t('admin.working'), async () => {
      try {
        const { label, link } = await withStepUp(f.host, opts.make);
        f.done(t('admin.formDone', { title: opts.title }));
        f.link(linkBox(label, link));
      } catch (err) {
        f.error.show(describeError(err));
      }
    });
  });
  // Beside the form, not inside it: a step-up prompt is a form of its own.
  return h('div', { class: 'access-form' }, form, f.el);
}

export function accessForms(): HTMLElement {
  const username = field({ id: 'add-username', label: t('admin.username') });
  const addGroups = field({ id: 'add-groups', label: t('admin.groups'), required: false });
  const email = field({ id: 'invite-email', label: t('admin.inviteEmail'), type: 'email', required: false });
  const inviteGroups = field({ id: 'invite-groups', label: t('admin.groups'), required: false });
  const add = linkForm(
    {
      id: 'add-user',
      title: t('admin.addUser'),
      fields: [username, addGroups],
      submit: t('admin.addUser'),
      async make() {
        const r = await api.adminAddUser({ username: username.input.value.trim(), groups: groupList(addGroups.input.value) });
        return { label: t('admin.enrolmentLink', { username: r.user.username }), link: r };
      },
    },
  );
  const invite = linkForm(
    {
      id: 'invite',
      title: t('admin.invite'),
      fields: [email, inviteGroups],
      submit: t('admin.createInvitation'),
      async make() {
        const address = email.input.value.trim();
        const link = await api.adminInvite({ ...(address && { email: address }), groups: groupList(inviteGroups.input.value) });
        return { label: address ? t('admin.invitationFor', { address }) : t('admin.invitation'), link };
      },
    },
  );
  return h('div', { class: 'admin-access' }, add, invite);
}

/** A user's groups, editable in place: the change is sent as groups added and removed. */
export function groupsCell(u: AdminUser, f: Feedback): HTMLElement {
  const input = h('input', { type: 'text', value: u.groups.join(', '), 'aria-label': t('admin.groupsOf', { username: u.username }), class: 'groups' });
  const save = h('button', { type: 'button', class: 'secondary' }, t('admin.saveGroups'));
  save.addEventListener('click', () => {
    const next = groupList(input.value);
    f.error.clear();
    withStepUp(f.host, () => api.adminChangeGroups(u.id, next.filter((g) => !u.groups.includes(g)), u.groups.filter((g) => !next.includes(g)))).then(
      ({ groups }) => {
        u.groups = groups;
        input.value = groups.join(', ');
        f.done(t('admin.groupsSaved', { username: u.username, groups: groups.join(', ') || t('admin.none') }));
      },
      (err: unknown) => f.error.show(describeError(err)),
    );
  });
  // The directory's groups are the directory's to change: shown beside Keyward's, marked.
  const fromDirectory = u.directoryGroups.length ? h('div', { class: 'directory-groups' }, t('admin.directoryGroups', { groups: u.directoryGroups.join(', ') })) : '';
  return h('div', { class: 'groups-edit' }, input, save, fromDirectory);
}
