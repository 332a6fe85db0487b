import { route, startRouter } from './router.js';
import { signInPage } from './pages/signIn.js';
import { signUpPage } from './pages/signUp.js';
import { accountPage } from './pages/account.js';
import { verifyPage } from './pages/verify.js';
import { settingsPage } from './pages/settings.js';
import { adminPage } from './pages/admin.js';
import { confirmEmailPage } from './pages/confirmEmail.js';
import { enrolPage } from './pages/enrol.js';
import { forgotPasswordPage } from './pages/forgotPassword.js';
import { resetPasswordPage } from './pages/resetPassword.js';
import { drawHeader } from './header.js';
import { notFoundPage, signInTimedOutPage, signedOutPage } from './pages/deadEnds.js';
import { api } from './api.js';
import { setBrand } from './brand.js';

route('/', accountPage);
route('/signin', signInPage);
route('/signup', signUpPage);
route('/verify', verifyPage);
route('/settings', settingsPage);
route('/admin', adminPage);
route('/confirm-email', confirmEmailPage);
route('/enrol', enrolPage);
route('/forgot-password', forgotPasswordPage);
route('/reset-password', resetPasswordPage);
route('*', notFoundPage);
window.addEventListener('keyward:unauthenticated', () => {
  if (location.pathname === '/verify') signInTimedOutPage();
  else if (['/', '/settings', '/admin'].includes(location.pathname)) signedOutPage();
});
// The operator's name comes first: every page shows it, and page titles carry it.
void api
  .branding()
  .then(setBrand, () => undefined)
  .finally(() => {
    drawHeader();
    startRouter();
  });
