import { storageContract } from './storageContract.js';
import { webauthnStoresContract } from './webauthnStoresContract.js';
import { accountStoresContract } from './accountStoresContract.js';
import { factorStoresContract } from './factorStoresContract.js';
import { signingKeysContract } from './signingKeysContract.js';
import { oidcStoreContract } from './oidcStoreContract.js';
import { mongoFactory } from '../helpers/storageFactories.js';

storageContract(mongoFactory);
webauthnStoresContract(mongoFactory);
accountStoresContract(mongoFactory);
factorStoresContract(mongoFactory);
signingKeysContract(mongoFactory);
oidcStoreContract(mongoFactory);
