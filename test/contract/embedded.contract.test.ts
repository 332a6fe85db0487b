import { storageContract } from './storageContract.js';
import { embeddedFactory } from '../helpers/storageFactories.js';

storageContract(embeddedFactory);
