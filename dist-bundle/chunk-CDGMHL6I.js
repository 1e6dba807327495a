import { createRequire as __svclintRequire } from 'node:module'; const require = __svclintRequire(import.meta.url);
import{ArgumentError,Command,CommanderError,EXIT,Option,checkOutputFiles,collect,collectFormat,commonInputOptions,didYouMean,emit,load,printableConfig,report,reportOptions,resolveConfig}from"./chunk-ZWYLCPFD.js";import{FORMATS,RULES,UsageError,VERSION,computeRoutes,formatRoutesText,mark,startTiming,timingLine}from"./chunk-NNQ67DC6.js";import{existsSync}from"node:fs";import path from"node:path";var RULE_FORMATS=["text","json","markdown"];function formatRules(rules,fmt){if(fmt==="json")return`${JSON.stringify(rules.map(r=>({id:r.id,category:r.category,severity:r.severity,description:r.description,remediation:r.remediation})),null,2)}
`;if(fmt==="markdown")return`| Rule | Category | Default severity | Description |
|---|---|---|---|
${rules.map(r=>`| [\`${r.id}\`](rules/${r.id}/README.md) | ${r.category} | ${r.severity} | ${r.description.replace(/\|/g,"\\|")} |`).join(`
`)}
`;let w=Math.max(...rules.map(r=>r.id.length));return`${rules.map(r=>`${r.id.padEnd(w)}  ${r.category.padEnd(9)}  ${r.severity.padEnd(7)}  ${r.description}`).join(`
`)}
`}var SHELLS=["bash","zsh","fish"];function flags(cmd){return cmd.options.flatMap(o=>[o.short,o.long].filter(f=>!!f))}function completion(shell,program){let commands=program.commands.map(c=>c.name()),perCommand=program.commands.map(c=>({name:c.name(),flags:[...flags(c),"--help"].join(" ")})),lint=perCommand.find(c=>c.name==="lint").flags;switch(shell){case"bash":return`# svclint completion for bash: eval "$(svclint completion bash)"
_svclint() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmd="" w
  for w in "\${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
    case "$w" in ${commands.join("|")}) cmd="$w"; break ;; esac
  done
  local opts
  case "$cmd" in
${perCommand.map(c=>`    ${c.name}) opts="${c.flags}" ;;`).join(`
`)}
    *) opts="${lint} ${commands.join(" ")} --version" ;;
  esac
  if [[ "$cur" == -* || -z "$cmd" ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") $(compgen -f -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _svclint svclint
`;case"zsh":return`#compdef svclint
# svclint completion for zsh: eval "$(svclint completion zsh)" (after compinit)
_svclint() {
  local -a commands opts
  commands=(${program.commands.map(c=>`'${c.name()}:${c.description().replace(/'/g,"")}'`).join(" ")})
  local cmd=\${words[(r)(${commands.join("|")})]}
  case $cmd in
${perCommand.map(c=>`    ${c.name}) opts=(${c.flags}) ;;`).join(`
`)}
    *) opts=(${lint}); _describe 'command' commands ;;
  esac
  compadd -- $opts
  _files
}
compdef _svclint svclint
`;case"fish":return`# svclint completion for fish: svclint completion fish | source
complete -c svclint -n '__fish_use_subcommand' -a '${commands.join(" ")}'
${program.commands.flatMap(c=>c.options.filter(o=>o.long).map(o=>`complete -c svclint -n '__fish_seen_subcommand_from ${c.name()}${c.name()==="lint"?"; or __fish_use_subcommand":""}' -l ${o.long.slice(2)}${o.short?` -s ${o.short.slice(1)}`:""}${o.required||o.optional?" -r":""} -d '${o.description.replace(/'/g,"")}'`)).join(`
`)}
`;default:throw new ArgumentError(`no completion for shell '${shell}' (one of: ${SHELLS.join(", ")})`)}}function valueFlags(program){let out=new Set;for(let cmd of[program,...program.commands])for(let o of cmd.options)if(o.required||o.optional)for(let f of[o.short,o.long])f&&out.add(f);return out}function hoistSubcommand(argv,program){let names=new Set(program.commands.flatMap(c=>[c.name(),...c.aliases()])),takesValue=valueFlags(program);for(let i=0;i<argv.length;i++){let a=argv[i];if(a==="--")break;if(a.startsWith("-")&&a!=="-"){!a.includes("=")&&takesValue.has(a)&&i++;continue}return names.has(a)&&i>0?[a,...argv.slice(0,i),...argv.slice(i+1)]:argv}return argv}async function run(argv,io){let exitCode=EXIT.ok,program=new Command("svclint").description("Find why Kubernetes Services do not work: selectors, endpoints, ports and DNS.").version(VERSION,"-v, --version").exitOverride().configureOutput({writeOut:io.stdout,writeErr:io.stderr,outputError:(s,write)=>write(`svclint: ${s.replace(/^error: /,"")}`)}),lintCmd=reportOptions(commonInputOptions(program.command("lint",{isDefault:!0}).description("lint manifests: files, folders (.yaml, .yml, .json), globs, or - for stdin").argument("[paths...]","inputs (default: the current folder)"))).option("--print-config","print the resolved config (file, command line and rule defaults) as JSON and exit").action(async(paths,opts)=>{if(opts.printConfig){io.stdout(`${JSON.stringify(printableConfig(await resolveConfig(io,opts)),null,2)}
`);return}let first=paths[0];if(first&&!existsSync(path.resolve(io.cwd,first))&&/^[a-z][a-z-]*$/.test(first)){let hint=didYouMean(first,program.commands.map(c=>c.name()));if(hint)throw new ArgumentError(`unknown command \`${first}\`${hint}`,"")}startTiming(io.env),mark("startup"),exitCode=report(io,opts,await load(paths,opts,io)),mark("report"),io.stderr(timingLine(io.env))});commonInputOptions(program.command("routes").description("print the endpoints and VIP routes these manifests would produce, and their DNS names").argument("[paths...]","inputs (default: the current folder)")).addOption(new Option("-f, --format <format>","output format").choices(["text","json"]).default("text")).option("-o, --output-file <file>","write to a file instead of stdout").action(async(paths,opts)=>{let{inputs,result}=await load(paths,opts,io);checkOutputFiles([opts.outputFile],inputs,io.cwd);let routes=computeRoutes(result.graph);emit(io,opts.format==="json"?`${JSON.stringify({version:1,services:routes},null,2)}
`:formatRoutesText(routes),opts.outputFile)}),program.command("doctor").description("explain why live Services have no working backends (read-only: only get and list)").argument("[target]","svc/NAME: one Service in depth; deploy/NAME, sts/NAME, ds/NAME or pod/NAME: what that workload dials, link by link").option("-n, --namespace <name>","only this namespace (default: the whole cluster)").option("-A, --all-namespaces","the whole cluster").option("-l, --selector <labels>","only Services with these labels (key=value,key!=value,key,!key)").option("--kubeconfig <file>","kubeconfig file (default: KUBECONFIG, ~/.kube/config, or in-cluster)").option("--context <name>","kubeconfig context").option("--request-timeout <duration>","give up on an API request that has not fully answered after this long","10s").option("--deadline <duration>","give up on the whole run after this long (default: 6 \xD7 --request-timeout)").option("--max-response-size <size>","largest API answer read, like 256Mi","256Mi").option("--from <file>","a saved cluster state (kubectl get ... -o yaml) instead of a live cluster; - for stdin").option("-f, --filename <path>","local manifests to lay over the live state: what breaks if you apply them? repeatable",collect).option("-c, --config <file>","config file (default: .svclint.yaml in this folder or a parent)").option("--cluster-domain <domain>",'cluster DNS domain (default: config, else "cluster.local")').option("--format <format>",`output format, repeatable: ${FORMATS.join(", ")} (default: stylish; with svc/NAME, a chain view)`,collectFormat).option("-o, --output-file <file>","write the report of the format in the same position to a file, repeatable (-o json and -o yaml, as in kubectl, mean --format json)",collect).addOption(new Option("--fail-level <severity>","exit 1 when a finding is at or above this severity").choices(["error","warning","info"])).action(async(target,opts)=>{exitCode=await doctorAction(target,opts,io)}),program.command("rules").description("list every rule with its id, category, default severity and description").addOption(new Option("-f, --format <format>","output format").choices([...RULE_FORMATS]).default("text")).action(opts=>{io.stdout(formatRules(RULES.map(r=>r.meta),opts.format))}),reportOptions(commonInputOptions(program.command("pre-commit").description("the pre-commit hook: lint the repository, report what the staged files break").argument("[files...]","the staged files (pre-commit passes them)"))).action(async(files,opts)=>{let{preCommit}=await import("./chunk-6LZUWZFI.js");exitCode=await preCommit(files,opts,io)}),program.command("completion").description(`print a shell completion script: ${SHELLS.join(", ")}`).argument("<shell>",SHELLS.join(", ")).action(shell=>{io.stdout(completion(shell,program))});for(let cmd of program.commands)cmd.showHelpAfterError(`run 'svclint ${cmd.name()} --help' for usage`);let args=hoistSubcommand(argv,program),current=program.commands.find(c=>c.name()===args[0])??lintCmd;try{return await program.parseAsync(args,{from:"user"}),exitCode}catch(err){if(err instanceof CommanderError)return err.exitCode===0?EXIT.ok:EXIT.error;if(err instanceof UsageError)return io.stderr(`svclint: ${err.message}
`),err instanceof ArgumentError&&io.stderr(`run '${["svclint",err.help??current.name()].filter(Boolean).join(" ")} --help' for usage
`),EXIT.error;let msg=err instanceof Error?err.message:String(err);return io.stderr(`svclint: internal error: ${msg}; please report it with the input that caused it
`),io.env.SVCLINT_DEBUG&&err instanceof Error&&err.stack&&io.stderr(`${err.stack}
`),EXIT.error}}async function doctorAction(target,opts,io){startTiming(io.env),mark("startup");try{return await doctorRun(target,opts,io,mark)}finally{mark("output"),io.stderr(timingLine(io.env))}}async function doctorRun(target,opts,io,mark2){let{doctorCommand}=await import("./chunk-6CNLUDEA.js");return doctorCommand(target,opts,io,mark2)}async function main(){let out=s=>{process.stdout.write(s)};process.stdout.on("error",e=>{e.code==="EPIPE"&&process.exit(process.exitCode??0)});let code=await run(process.argv.slice(2),{cwd:process.cwd(),env:process.env,stdout:out,stderr:s=>process.stderr.write(s),isTTY:!!process.stdout.isTTY});process.exitCode=code}export{run,main};
