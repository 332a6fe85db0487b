import { storageContract } from './storageContract.js';
import { webauthnStoresContract } from './webauthnStoresContract.js';
import { accountStoresContract } from './accountStoresContract.js';
import { attemptStoreContract } from './attemptStoreContract.js';
import { factorStoresContract } from './factorStoresContract.js';
import { signingKeysContract } from './signingKeysContract.js';
import { accessStoresContract } from './accessStoresContract.js';
import { oidcStoreContract } from './oidcStoreContract.js';
import { embeddedFactory } from '../helpers/storageFactories.js';

storageContract(embeddedFactory);
webauthnStoresContract(embeddedFactory);
accountStoresContract(embeddedFactory);
attemptStoreContract(embeddedFactory);
factorStoresContract(embeddedFactory);
signingKeysContract(embeddedFactory);
accessStoresContract(embeddedFactory);
oidcStoreContract(embeddedFactory);
