import { x } from "../util/x"; console.log(x);
