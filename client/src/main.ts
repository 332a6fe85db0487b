import { route, startRouter } from './router.js';
import { signInPage } from './pages/signIn.js';
import { signUpPage } from './pages/signUp.js';
import { accountPage } from './pages/account.js';

route('/', accountPage);
route('/signin', signInPage);
route('/signup', signUpPage);
startRouter();
